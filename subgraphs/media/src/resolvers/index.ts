import { DateTimeScalar as DateTime } from '@stockline/service';
import { Item, Media } from './entities.ts';
import { Mutation } from './mutation.ts';

export const resolvers = { DateTime, Item, Media, Mutation };
