import type { ThemeConfig } from 'antd';

/** Brand colours; everything else follows antd defaults so components stay consistent. */
export const appTheme: ThemeConfig = {
  token: {
    colorPrimary: '#1d4ed8',
    borderRadius: 6,
    fontFamily:
      "-apple-system, BlinkMacSystemFont, 'Segoe UI', 'PingFang SC', 'Hiragino Sans GB', 'Microsoft YaHei', 'Noto Sans CJK SC', 'Noto Sans SC', 'Helvetica Neue', Arial, sans-serif",
  },
  components: {
    Layout: { headerHeight: 56, headerPadding: '0 24px' },
  },
};
