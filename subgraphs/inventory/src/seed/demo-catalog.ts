/** A believable demo catalog: 8 categories of 25 items each, 3 locations. Deterministic. */
const CATEGORIES: [name: string, prefix: string, nouns: string[]][] = [
  ['Apparel', 'APP', ['T-Shirt', 'Hoodie', 'Rain Jacket', 'Chino Trousers', 'Wool Socks']],
  ['Footwear', 'FTW', ['Running Shoe', 'Trail Boot', 'Canvas Sneaker', 'Leather Loafer', 'Sandal']],
  ['Kitchen', 'KIT', ['Chef Knife', 'Cast Iron Skillet', 'Cutting Board', 'French Press', 'Mixing Bowl']],
  ['Electronics', 'ELE', ['USB-C Charger', 'Wireless Earbuds', 'Power Bank', 'HDMI Cable', 'Smart Plug']],
  ['Office', 'OFF', ['Notebook', 'Gel Pen Pack', 'Desk Lamp', 'Stapler', 'Monitor Stand']],
  ['Outdoor', 'OUT', ['Water Bottle', 'Headlamp', 'Camping Mug', 'Daypack', 'Trekking Pole']],
  ['Home', 'HOM', ['Throw Blanket', 'Scented Candle', 'Linen Pillowcase', 'Bath Towel', 'Table Runner']],
  ['Toys', 'TOY', ['Wooden Blocks', 'Puzzle 500pc', 'Plush Bear', 'Kite', 'Card Game']],
];
const VARIANTS = ['Black', 'Navy', 'Olive', 'Sand', 'Red'];

export const DEMO_TENANT = 'demo';

export const DEMO_LOCATIONS = [
  { code: 'WH-EAST', name: 'East Warehouse (Newark)' },
  { code: 'WH-WEST', name: 'West Warehouse (Reno)' },
  { code: 'STORE-NYC', name: 'Flagship Store (New York)' },
];

export function demoCatalog() {
  return CATEGORIES.map(([category, prefix, nouns]) => ({
    category,
    items: nouns.flatMap((noun, n) =>
      VARIANTS.map((variant, v) => ({
        sku: `${prefix}-${String(n * 10 + v + 1).padStart(3, '0')}`,
        name: `${noun} — ${variant}`,
        description: `${noun} in ${variant.toLowerCase()}. Demo catalog item.`,
      })),
    ),
  }));
}
