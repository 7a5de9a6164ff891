import { Category, Item, Location, Reservation, StockLevel, StockMovement } from './entities.ts';
import { Mutation } from './mutation.ts';
import { Query } from './query.ts';
import { DateTime } from './scalars.ts';

export const resolvers = { DateTime, Query, Mutation, Item, Category, Location, StockLevel, StockMovement, Reservation };
