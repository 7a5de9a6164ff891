import type { ItemRowData, Level, MovementRowData, OrderRowData } from './documents.ts';

export const isLow = (l: Level) => l.reorderPoint != null && l.available < l.reorderPoint;

export function LevelChip({ level }: { level: Level }) {
  const low = isLow(level);
  return (
    <span className={low ? 'chip low' : 'chip'} data-level-id={level.id} data-on-hand={level.onHand} data-available={level.available} title={`${level.location.name}: ${level.onHand} on hand, ${level.reserved} reserved`}>
      <b>{level.location.code}</b> {level.available}
      {level.reserved > 0 ? <small> ({level.onHand})</small> : null}
      {low ? <em className="badge">low</em> : null}
    </span>
  );
}

export function ItemRow({ item }: { item: ItemRowData }) {
  const low = item.stockLevels.some(isLow);
  return (
    <li className="item" data-item-id={item.id}>
      <a href={`#/item/${encodeURIComponent(item.id)}`} className="item-name">
        <span>{item.name}</span> <small className="muted">{item.sku}</small>
        {low ? <em className="badge" data-low-stock="true">low stock</em> : null}
      </a>
      <span className="total" data-available={item.stock.available}>{item.stock.available}</span>
      <span className="levels">{item.stockLevels.map((l) => <LevelChip key={l.id} level={l} />)}</span>
    </li>
  );
}

const time = (iso: string) => new Date(iso).toLocaleTimeString([], { hour: '2-digit', minute: '2-digit', second: '2-digit' });

export function MovementList({ movements, showItem = true }: { movements: MovementRowData[]; showItem?: boolean }) {
  if (movements.length === 0) return <p className="muted">No movements yet.</p>;
  return (
    <ul className="movements">
      {movements.map((m) => (
        <li key={m.id} data-movement-id={m.id} data-item-id={m.item.id} data-reason={m.reason} data-delta={m.onHandDelta}>
          <time>{time(m.occurredAt)}</time>
          {showItem ? <a href={`#/item/${encodeURIComponent(m.item.id)}`}>{m.item.name}</a> : null}
          <span className="muted">{m.location.code}</span>
          <span className="reason">{m.reason.toLowerCase().replace('_', ' ')}</span>
          <span className={m.onHandDelta < 0 ? 'delta neg' : 'delta'}>{m.onHandDelta > 0 ? `+${m.onHandDelta}` : m.reservedDelta !== 0 && m.onHandDelta === 0 ? `res ${m.reservedDelta > 0 ? '+' : ''}${m.reservedDelta}` : m.onHandDelta}</span>
          <span className="after">→ {m.onHandAfter}</span>
        </li>
      ))}
    </ul>
  );
}

export function OrderList({ orders }: { orders: OrderRowData[] }) {
  if (orders.length === 0) return <p className="muted">No orders yet.</p>;
  return (
    <ul className="orders">
      {orders.map((o) => (
        <li key={o.id} data-order-id={o.id} data-status={o.status}>
          <b>{o.number}</b>
          <span className={`status ${o.status.toLowerCase()}`}>{o.status.replace('_', ' ')}</span>
          <span className="muted">{o.lines.reduce((n, l) => n + l.quantity, 0)} units · {o.lines.map((l) => l.item.sku).join(', ')}</span>
        </li>
      ))}
    </ul>
  );
}
