import { DateTimeScalar as DateTime } from '@stockline/service';
import { DeadStockItem, Item, ItemAbcClassification, ItemMovementStat } from './entities.ts';
import { Query } from './query.ts';

export const resolvers = { DateTime, Query, Item, ItemMovementStat, ItemAbcClassification, DeadStockItem };
