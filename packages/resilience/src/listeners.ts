// A minimal typed listener set: policies emit events only when someone listens, so metrics cost nothing until attached.

export type Unsubscribe = () => void;

export class Listeners<E> {
  private readonly set = new Set<(event: E) => void>();

  add(listener: (event: E) => void): Unsubscribe {
    // Wrap so the same function can be added twice and removed independently.
    const entry = (event: E): void => listener(event);
    this.set.add(entry);
    return () => {
      this.set.delete(entry);
    };
  }

  get size(): number {
    return this.set.size;
  }

  emit(event: E): void {
    for (const listener of this.set) listener(event);
  }
}
