import { Order, OrderLine, Shipment, ShipmentLine } from './entities.ts';
import { Mutation } from './mutation.ts';
import { Query } from './query.ts';
import { DateTime } from './scalars.ts';

export const resolvers = { DateTime, Query, Mutation, Order, OrderLine, Shipment, ShipmentLine };
