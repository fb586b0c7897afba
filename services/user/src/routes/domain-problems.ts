/** The user store's domain refusals as problem+json. */
import { HttpProblem, problemFor } from '@shop/service-kit';
import { EmailAlreadyRegisteredError, InvalidCursorError } from '../user-store';

export const userProblems = [
  problemFor(
    EmailAlreadyRegisteredError,
    (error) => new HttpProblem(409, 'email-already-registered', 'Email already registered', error.message),
  ),
  problemFor(InvalidCursorError, (error) => new HttpProblem(400, 'invalid-cursor', 'Invalid cursor', error.message)),
];
