import type { Consumer, ConsumerVia } from './consumers';

/** What a count needs of a consumer: the scan's own records and the plan's relative ones alike. */
export type ConsumerLike = Pick<Consumer, 'key' | 'via'>;

/** How many places read one key, and how (`2 compose, 1 code`). */
export interface ConsumerCount<C extends ConsumerLike = Consumer> {
  /** The places that read the key itself, in scan order. */
  places: C[];
  count: number;
  /** Places per way of reading, in order of first appearance. */
  byVia: Array<{ via: ConsumerVia; count: number }>;
  /** `2 compose, 1 code`; empty when nothing reads the key. */
  summary: string;
  /** Places that read a linked entry rotated with the key (a URL that embeds the password). */
  linked: number;
}

/**
 * The one count of a key's consumers that every view shows (hover, Show Consumers, rotation plan,
 * CLI): the places that read the key itself. Places that read a linked entry which changes with
 * it are counted apart, so a plan that also restarts a URL's readers does not inflate the number
 * the hover gave.
 */
export function countConsumers<C extends ConsumerLike>(consumers: readonly C[], key: string): ConsumerCount<C> {
  const places = consumers.filter((c) => c.key === key);
  const vias = new Map<ConsumerVia, number>();
  for (const c of places) vias.set(c.via, (vias.get(c.via) ?? 0) + 1);
  const byVia = [...vias].map(([via, count]) => ({ via, count }));
  return {
    places,
    count: places.length,
    byVia,
    summary: byVia.map((v) => `${v.count} ${v.via}`).join(', '),
    linked: consumers.length - places.length,
  };
}
