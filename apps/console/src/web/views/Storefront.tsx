/**
 * The shop as a customer sees it, through the gateway only: register, sign in, browse products with their stock,
 * place an order and watch its status move. The customer's token lives in this page's memory, nowhere else.
 * The order history beside it is the user service's copy, built from order events: it lags, and shows it.
 */
import { useEffect, useState, type FormEvent } from 'react';
import type { Snapshot } from '../../shared/console-api';
import { api, errorText } from '../api';
import { money, shortId } from '../format';
import { linkTo } from '../navigation';

interface Product {
  sku: string;
  name: string;
  price: { amountMinor: number; currency: string };
  stock: number;
}
interface Order {
  id: string;
  status: string;
  total: { amountMinor: number; currency: string } | null;
  cancellationReason: string | null;
}
interface HistoryEntry {
  orderId: string;
  status: string;
}
interface Customer {
  id: string;
  email: string;
  token: string;
}

const FINAL = new Set(['DELIVERED', 'CANCELLED']);
const address = { line1: '1 Console Street', city: 'Lisbon', postalCode: '1100-001', country: 'PT' };

function Field(props: {
  label: string;
  value: string;
  onChange: (value: string) => void;
  type?: string;
  autoComplete?: string;
}) {
  const id = `field-${props.label.toLowerCase().replace(/\W+/g, '-')}`;
  return (
    <div className="field">
      <label htmlFor={id}>{props.label}</label>
      <input
        id={id}
        type={props.type ?? 'text'}
        value={props.value}
        autoComplete={props.autoComplete}
        required
        onChange={(event) => props.onChange(event.target.value)}
      />
    </div>
  );
}

export function Storefront({ snapshot }: { snapshot: Snapshot | undefined }) {
  const [name, setName] = useState('Ada');
  const [email, setEmail] = useState(() => `ada.${Math.random().toString(36).slice(2, 8)}@example.com`);
  const [password, setPassword] = useState('console-password-42');
  const [userId, setUserId] = useState<string>();
  const [customer, setCustomer] = useState<Customer>();
  const [products, setProducts] = useState<Product[]>();
  const [productsError, setProductsError] = useState<string>();
  const [quantities, setQuantities] = useState<Record<string, number>>({});
  const [paymentMethod, setPaymentMethod] = useState('tok_visa');
  const [orders, setOrders] = useState<Order[]>([]);
  const [history, setHistory] = useState<HistoryEntry[]>();
  const [message, setMessage] = useState<string>();
  const [busy, setBusy] = useState(false);

  async function attempt(work: () => Promise<void>) {
    setBusy(true);
    setMessage(undefined);
    try {
      await work();
    } catch (error) {
      setMessage(errorText(error));
    } finally {
      setBusy(false);
    }
  }

  const register = (event: FormEvent) => {
    event.preventDefault();
    void attempt(async () => {
      const { body } = await api<{ id: string }>('/gateway/api/users', {
        body: { email, name, password, shippingAddress: address },
      });
      setUserId(body.id);
      setMessage(`Registered ${email}. The user service published UserRegistered; now sign in.`);
    });
  };

  const signIn = (event: FormEvent) => {
    event.preventDefault();
    void attempt(async () => {
      const { body } = await api<{ accessToken: string; expiresIn: number }>('/gateway/api/auth/token', {
        body: { email, password },
      });
      const me = await api<{ id: string }>('/gateway/api/users/me', { token: body.accessToken });
      setCustomer({ id: me.body.id, email, token: body.accessToken });
      setMessage(`Signed in: a customer token for ${Math.round(body.expiresIn / 60)} minutes, kept in this page only.`);
    });
  };

  const tick = snapshot?.at;
  // Products (with stock) and the customer's orders follow the live stream's clock: no reloads, no extra timers.
  useEffect(() => {
    if (!customer) return;
    let current = true;
    const refresh = async () => {
      try {
        const list = await api<{ products: Product[] }>('/gateway/api/products?limit=50', { token: customer.token });
        if (current) setProducts(list.body.products);
        if (current) setProductsError(undefined);
      } catch (error) {
        if (current) setProductsError(errorText(error));
      }
      const open = orders.filter((order) => !FINAL.has(order.status));
      const fresh = await Promise.all(
        open.map((order) =>
          api<Order>(`/gateway/api/orders/${order.id}`, { token: customer.token }).then(
            (r) => r.body,
            () => order,
          ),
        ),
      );
      if (current && fresh.length > 0)
        setOrders((all) => all.map((order) => fresh.find((f) => f.id === order.id) ?? order));
      const known = await api<{ orders: HistoryEntry[] }>(`/gateway/api/users/me/orders`, {
        token: customer.token,
      }).catch(() => undefined);
      if (current && known) setHistory(known.body.orders);
    };
    void refresh();
    return () => {
      current = false;
    };
    // Deliberately not on `orders`: one refresh per snapshot, not one per status change.
  }, [customer, tick]);

  const placeOrder = (event: FormEvent) => {
    event.preventDefault();
    const items = Object.entries(quantities)
      .filter(([, quantity]) => quantity > 0)
      .map(([sku, quantity]) => ({ sku, quantity }));
    if (items.length === 0) return setMessage('Choose a quantity of at least one product.');
    void attempt(async () => {
      const placed = await api<{ id: string }>('/api/storefront/orders', {
        body: { items, shippingAddress: address, paymentMethod },
        token: customer!.token,
      });
      const waited = Number(placed.headers.get('x-console-waited-for-replica-ms') ?? 0);
      setOrders((all) => [{ id: placed.body.id, status: 'PENDING', total: null, cancellationReason: null }, ...all]);
      setQuantities({});
      setMessage(
        `Order ${shortId(placed.body.id)} accepted (202): the checkout saga runs now.` +
          (waited > 0
            ? ` The order service learned about you ${waited} ms after you registered (UserRegistered event).`
            : ''),
      );
    });
  };

  return (
    <section aria-labelledby="storefront-title">
      <h2 id="storefront-title">Storefront</h2>
      <p className="lesson">
        Every request here goes through the gateway, with your customer token — as any client would.
      </p>
      {message && (
        <p className="notice" role="status">
          {message}
        </p>
      )}
      <div className="columns">
        <div>
          <form onSubmit={register} aria-labelledby="register-title" className="card">
            <h3 id="register-title">1. Register</h3>
            <Field label="Name" value={name} onChange={setName} autoComplete="name" />
            <Field label="Email" value={email} onChange={setEmail} type="email" autoComplete="email" />
            <Field
              label="Password"
              value={password}
              onChange={setPassword}
              type="password"
              autoComplete="new-password"
            />
            <button type="submit" disabled={busy || userId !== undefined}>
              Register
            </button>
          </form>
          <form onSubmit={signIn} aria-labelledby="signin-title" className="card">
            <h3 id="signin-title">2. Sign in</h3>
            <p className="muted">as {email}</p>
            <button type="submit" disabled={busy || customer !== undefined}>
              Sign in
            </button>
          </form>
        </div>
        <form onSubmit={placeOrder} aria-labelledby="products-title" className="card wide">
          <h3 id="products-title">3. Products</h3>
          {!customer && <p className="muted">Sign in to see the catalogue (the gateway asks for a token).</p>}
          {customer && !products && !productsError && <p>Loading products…</p>}
          {productsError && (
            <p className="problem" role="alert">
              The catalogue is unavailable: {productsError}
            </p>
          )}
          {products && (
            <div className="table-scroll">
              <table>
                <thead>
                  <tr>
                    <th scope="col">Product</th>
                    <th scope="col">Price</th>
                    <th scope="col">In stock</th>
                    <th scope="col">Quantity</th>
                  </tr>
                </thead>
                <tbody>
                  {products.map((product) => (
                    <tr key={product.sku}>
                      <th scope="row">
                        {product.name} <span className="muted">{product.sku}</span>
                      </th>
                      <td>{money(product.price)}</td>
                      <td data-testid={`stock-${product.sku}`}>{product.stock}</td>
                      <td>
                        <label className="visually-hidden" htmlFor={`quantity-${product.sku}`}>
                          Quantity of {product.name}
                        </label>
                        <input
                          id={`quantity-${product.sku}`}
                          className="quantity"
                          type="number"
                          min={0}
                          max={Math.max(0, product.stock)}
                          value={quantities[product.sku] ?? 0}
                          onChange={(event) =>
                            setQuantities((all) => ({ ...all, [product.sku]: Number(event.target.value) }))
                          }
                        />
                      </td>
                    </tr>
                  ))}
                </tbody>
              </table>
            </div>
          )}
          {customer && (
            <div className="row">
              <label htmlFor="payment-method">Card</label>
              <select
                id="payment-method"
                value={paymentMethod}
                onChange={(event) => setPaymentMethod(event.target.value)}
              >
                <option value="tok_visa">Visa (accepted)</option>
                <option value="tok_declined">Card that is declined</option>
                <option value="tok_insufficient_funds">Insufficient funds</option>
              </select>
              <button type="submit" disabled={busy}>
                Place order
              </button>
            </div>
          )}
        </form>
      </div>

      {customer && (
        <div className="columns">
          <div className="card">
            <h3>4. Your orders (order service)</h3>
            {orders.length === 0 ? (
              <p className="muted">No orders yet.</p>
            ) : (
              <ul className="orders" aria-live="polite">
                {orders.map((order) => (
                  <li key={order.id} data-order-id={order.id}>
                    <span className="mono">{shortId(order.id)}</span>{' '}
                    <span className={`status status-${order.status.toLowerCase()}`} data-testid="order-status">
                      {order.status}
                    </span>{' '}
                    {money(order.total)}
                    {order.cancellationReason && <span className="muted"> — {order.cancellationReason}</span>}{' '}
                    <a href={linkTo('sagas', order.id)}>saga timeline</a>
                  </li>
                ))}
              </ul>
            )}
          </div>
          <div className="card">
            <h3>Order history (user service, from events)</h3>
            {!history || history.length === 0 ? (
              <p className="muted">Nothing yet: it fills in as order events arrive.</p>
            ) : (
              <ul className="orders">
                {history.map((entry) => (
                  <li key={entry.orderId}>
                    <span className="mono">{shortId(entry.orderId)}</span>{' '}
                    <span className="status">{entry.status}</span>
                  </li>
                ))}
              </ul>
            )}
          </div>
        </div>
      )}
    </section>
  );
}
