import { Category, Item, Location, Reservation, StockLevel, StockMovement } from './entities.ts';
import { Mutation } from './mutation.ts';
import { Query } from './query.ts';
import { searchItems } from './search-items.ts';
import { DateTimeScalar as DateTime } from '@stockline/service';

export const resolvers = { DateTime, Query: { ...Query, searchItems }, Mutation, Item, Category, Location, StockLevel, StockMovement, Reservation };
