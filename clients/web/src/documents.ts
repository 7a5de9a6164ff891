/**
 * Every GraphQL document the board sends, in one module: the build hashes them into the trusted-documents
 * manifest (vite.config.ts), and clients/web/test/documents.test.ts validates each against
 * schema/supergraph.graphql, so a schema change that breaks the app fails a test before it reaches a browser.
 * The result types below are written by hand next to their documents (see docs/web-client.md: the
 * validation test is the guard; generated types are the next step).
 */
import { gql } from '@urql/core';

export const LEVEL_FIELDS = gql`
  fragment LevelFields on StockLevel {
    id
    onHand
    reserved
    available
    reorderPoint
    location { id code name }
  }
`;

export const ITEM_ROW = gql`
  fragment ItemRow on Item {
    id
    sku
    name
    stock { onHand reserved available }
    stockLevels { ...LevelFields }
  }
  ${LEVEL_FIELDS}
`;

export const MOVEMENT_ROW = gql`
  fragment MovementRow on StockMovement {
    id
    reason
    onHandDelta
    reservedDelta
    onHandAfter
    occurredAt
    item { id sku name }
    location { id code }
  }
`;

export const ORDER_ROW = gql`
  fragment OrderRow on Order {
    id
    number
    status
    customerEmail
    createdAt
    lines { id quantity fulfilledQuantity item { id sku name } }
  }
`;

/** How many rows each live list keeps; the subscription updaters address the same field arguments. */
export const RECENT_MOVEMENTS = 15;
export const RECENT_ORDERS = 20;

export const VIEWER = gql`
  query Viewer { viewer { id tenant roles scopes } }
`;

export const BOARD = gql`
  query Board {
    items(first: 50) { totalCount nodes { ...ItemRow } }
    stockMovements(first: 15) { nodes { ...MovementRow } }
    orders(first: 20) { nodes { ...OrderRow } }
  }
  ${ITEM_ROW}
  ${MOVEMENT_ROW}
  ${ORDER_ROW}
`;

export const SEARCH = gql`
  query Search($query: String!) {
    searchItems(query: $query, first: 20) { totalCount hits { score item { ...ItemRow } } }
  }
  ${ITEM_ROW}
`;

export const ITEM_PAGE = gql`
  query ItemPage($id: ID!) {
    item(id: $id) {
      ...ItemRow
      description
      category { id name }
      movements(first: 30) { nodes { ...MovementRow } }
    }
  }
  ${ITEM_ROW}
  ${MOVEMENT_ROW}
`;

/** Separate from ITEM_PAGE: the media and analytics subgraphs may be absent or slow; the ledger must not wait on them. */
export const ITEM_INSIGHTS = gql`
  query ItemInsights($id: ID!, $from: DateTime!, $to: DateTime!) {
    item(id: $id) {
      id
      media { id url thumbnailUrl(width: 512) width height }
      analytics(from: $from, to: $to) { unitsShipped averageDailyShipped daysOfCover projectedStockoutAt }
    }
    inventoryTimeseries(from: $from, to: $to, interval: DAY, itemId: $id) { at onHand }
  }
`;

export const ADJUST_STOCK = gql`
  mutation AdjustStock($input: AdjustStockInput!) {
    adjustStock(input: $input) {
      stockLevel { ...LevelFields item { id stock { onHand reserved available } } }
      movement { ...MovementRow }
      userErrors { code field message }
    }
  }
  ${LEVEL_FIELDS}
  ${MOVEMENT_ROW}
`;

export const STOCK_CHANGED = gql`
  subscription StockChanged($after: String) {
    stockChanged(after: $after) {
      cursor
      reason
      onHand
      reserved
      available
      onHandDelta
      reservedDelta
      occurredAt
      location { id code }
      item { id sku name stock { onHand reserved available } stockLevels { ...LevelFields } }
    }
  }
  ${LEVEL_FIELDS}
`;

export const ORDER_STATUS_CHANGED = gql`
  subscription OrderStatusChanged($after: String) {
    orderStatusChanged(after: $after) { cursor previousStatus occurredAt order { ...OrderRow } }
  }
  ${ORDER_ROW}
`;

export const LOW_STOCK = gql`
  subscription LowStock($after: String) {
    lowStock(after: $after) { cursor occurredAt stockLevel { ...LevelFields item { id sku name } } }
  }
  ${LEVEL_FIELDS}
`;

/** Every operation the app can send (fragments are inlined by `gql`). */
export const OPERATIONS = { VIEWER, BOARD, SEARCH, ITEM_PAGE, ITEM_INSIGHTS, ADJUST_STOCK, STOCK_CHANGED, ORDER_STATUS_CHANGED, LOW_STOCK };

export interface Level { __typename?: 'StockLevel'; id: string; onHand: number; reserved: number; available: number; reorderPoint: number | null; location: { id: string; code: string; name: string } }
export interface ItemRowData { id: string; sku: string; name: string; stock: { onHand: number; reserved: number; available: number }; stockLevels: Level[] }
export interface MovementRowData { id: string; reason: string; onHandDelta: number; reservedDelta: number; onHandAfter: number; occurredAt: string; item: { id: string; sku: string; name: string }; location: { id: string; code: string } }
export interface OrderRowData { id: string; number: string; status: string; customerEmail: string | null; createdAt: string; lines: { id: string; quantity: number; fulfilledQuantity: number; item: { id: string; sku: string; name: string } }[] }
export interface BoardData { items: { totalCount: number; nodes: ItemRowData[] }; stockMovements: { nodes: MovementRowData[] }; orders: { nodes: OrderRowData[] } }
export interface SearchData { searchItems: { totalCount: number; hits: { score: number; item: ItemRowData }[] } }
export interface ItemPageData { item: (ItemRowData & { description: string | null; category: { id: string; name: string } | null; movements: { nodes: MovementRowData[] } }) | null }
export interface ItemInsightsData {
  item: { id: string; media: { id: string; url: string; thumbnailUrl: string | null; width: number | null; height: number | null }[] | null; analytics: { unitsShipped: number; averageDailyShipped: number; daysOfCover: number | null; projectedStockoutAt: string | null } | null } | null;
  inventoryTimeseries: { at: string; onHand: number }[] | null;
}
export interface StockChangedData { stockChanged: { cursor: string; reason: string; onHand: number; reserved: number; available: number; onHandDelta: number; reservedDelta: number; occurredAt: string; location: { id: string; code: string }; item: ItemRowData } }
export interface OrderStatusChangedData { orderStatusChanged: { cursor: string; previousStatus: string | null; occurredAt: string; order: OrderRowData } }
