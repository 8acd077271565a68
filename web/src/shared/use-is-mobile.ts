import { Grid } from 'antd';

/** Below antd's `md` breakpoint (768 px) pages switch to the phone layout. */
export function useIsMobile(): boolean {
  const screens = Grid.useBreakpoint();
  // Before the first measurement every breakpoint is undefined: assume a desktop.
  return screens.md === false;
}
