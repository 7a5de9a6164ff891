/** GraphQL documents the orders tests send. */

export const ORDER_FIELDS = `
  id number status customerEmail failureReason createdAt updatedAt
  shippingAddress { name line1 line2 city postalCode country }
  lines { id item { id } location { id } quantity fulfilledQuantity }
  shipments { id carrier trackingNumber trackingUrl status shippedAt deliveredAt lines { quantity orderLine { id } } }
`;

const USER_ERRORS = 'userErrors { code field itemId available current }';

export const PLACE_ORDER = `mutation($input: PlaceOrderInput!) { placeOrder(input: $input) { order { ${ORDER_FIELDS} } ${USER_ERRORS} } }`;

export const FULFILL_ORDER = `mutation($input: FulfillOrderInput!) {
  fulfillOrder(input: $input) { order { ${ORDER_FIELDS} } shipment { id carrier trackingNumber trackingUrl status shippedAt lines { quantity orderLine { id } } } ${USER_ERRORS} } }`;

export const FULFILL_ORDERS = `mutation($inputs: [FulfillOrderInput!]!) {
  fulfillOrders(inputs: $inputs) { shipments { id status lines { quantity orderLine { id } } } ${USER_ERRORS} } }`;

export const CANCEL_ORDER = `mutation($id: ID!, $reason: String) { cancelOrder(id: $id, reason: $reason) { order { ${ORDER_FIELDS} } ${USER_ERRORS} } }`;

export const MARK_DELIVERED = `mutation($id: ID!) { markShipmentDelivered(shipmentId: $id) { order { id status } shipment { id status shippedAt deliveredAt } ${USER_ERRORS} } }`;

export const ORDER = `query($id: ID!) { order(id: $id) { ${ORDER_FIELDS} } }`;

export const ORDERS = `query($first: Int, $after: String, $status: OrderStatus) {
  orders(first: $first, after: $after, status: $status) { totalCount nodes { id number status } edges { cursor } pageInfo { hasNextPage hasPreviousPage endCursor } } }`;

export const ADDRESS = { name: 'Ada Lovelace', line1: '12 St James Square', city: 'London', postalCode: 'SW1Y 4JH', country: 'GB' };
