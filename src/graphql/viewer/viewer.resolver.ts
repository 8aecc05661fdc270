import { Authorized, Ctx, Query, Resolver } from 'type-graphql';
import type { Context } from '../context';
import { ViewerType } from './viewer.type';

/** Lets a client (the dashboard) show only what the key may do, without trying it. */
@Resolver()
export class ViewerResolver {
  @Authorized('VIEWER')
  @Query(() => ViewerType, { description: 'The key making this request.' })
  viewer(@Ctx() { principal }: Context): ViewerType {
    return { role: principal.role, tenantId: principal.tenantId };
  }
}
