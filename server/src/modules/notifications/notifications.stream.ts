import type { Database } from '../../platform/db/db.ts';
import { NOTIFY_CHANNEL } from './notifications.queries.ts';

export type NotificationHub = {
  /** Calls `onChange` whenever a NOTIFY for the user arrives; resolves to the unsubscribe function. */
  subscribe(userId: number, onChange: () => void): Promise<() => void>;
  close(): Promise<void>;
};

/**
 * One LISTEN on `tianshu_notifications` for the whole process (opened with the first stream),
 * fanned out here by the user id in the payload.
 */
export function createNotificationHub(listen: Database['listen']): NotificationHub {
  const subscribers = new Map<number, Set<() => void>>();
  let listening: Promise<() => Promise<void>> | null = null;
  const onPayload = (payload: string) => {
    const set = subscribers.get(Number(payload));
    if (!set) return;
    for (const cb of set) {
      try {
        cb();
      } catch {
        // One broken stream must not stop the others.
      }
    }
  };
  return {
    async subscribe(userId, onChange) {
      if (!listening) {
        listening = listen(NOTIFY_CHANNEL, onPayload);
        listening.catch(() => {
          listening = null;
        });
      }
      await listening;
      let set = subscribers.get(userId);
      if (!set) subscribers.set(userId, (set = new Set()));
      set.add(onChange);
      return () => {
        set.delete(onChange);
        if (set.size === 0 && subscribers.get(userId) === set) subscribers.delete(userId);
      };
    },
    async close() {
      subscribers.clear();
      const l = listening;
      listening = null;
      if (l) await (await l.catch(() => async () => undefined))().catch(() => undefined);
    },
  };
}
