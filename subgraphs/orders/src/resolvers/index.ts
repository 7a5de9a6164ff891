import { DateTimeScalar as DateTime } from '@stockline/service';
import { Order, OrderLine, Shipment, ShipmentLine } from './entities.ts';
import { Mutation } from './mutation.ts';
import { Query } from './query.ts';

export const resolvers = { DateTime, Query, Mutation, Order, OrderLine, Shipment, ShipmentLine };
