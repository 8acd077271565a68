/**
 * antd takes DOM attributes for inner elements as typed objects (okButtonProps, onRow), where a
 * `data-testid` key is not part of the declared type; this adds it without widening to `any`.
 */
export function testId<T extends object>(id: string, props?: T): T {
  const withId: T & { 'data-testid': string } = { ...(props ?? ({} as T)), 'data-testid': id };
  return withId;
}
