/**
 * What the editor shows on a first visit instead of GraphiQL's generic welcome text: one query, one
 * mutation and one subscription of this API, ready to run (the ▶ button asks which).
 */
export const STARTER_DOCUMENT = `# Stockline: catalog, stock and orders in one federated GraphQL API.
# Run an operation with the ▶ button (it asks which one). The Docs panel lists every field.

query Items {
  items(first: 5) {
    totalCount
    nodes { id sku name category { name } stock { onHand reserved available } }
  }
  locations { id code name }
}

# Copy an item id and a location id from Items into the Variables panel:
# { "itemId": "…", "locationId": "…" }
mutation ReceiveStock($itemId: ID!, $locationId: ID!) {
  adjustStock(input: { itemId: $itemId, locationId: $locationId, delta: 5, reason: RECEIVED, reference: "graphiql" }) {
    stockLevel { onHand reserved available version }
    userErrors { code field message }
  }
}

# Streams over the WebSocket on /graphql: start it, then run ReceiveStock in another tab.
# To resume after a disconnect, pass the last cursor you saw: stockChanged(after: "…").
subscription StockChanges {
  stockChanged {
    cursor
    reason
    onHandDelta
    onHand
    available
    occurredAt
    item { sku name }
    location { code }
  }
}
`;
