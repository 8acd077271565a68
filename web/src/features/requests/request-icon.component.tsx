import type { ReactNode } from 'react';
import {
  CloudOutlined,
  DatabaseOutlined,
  DesktopOutlined,
  FileTextOutlined,
  GlobalOutlined,
  KeyOutlined,
  LaptopOutlined,
  LockOutlined,
  MailOutlined,
  MobileOutlined,
  PrinterOutlined,
  SafetyOutlined,
  TeamOutlined,
  ToolOutlined,
  UserAddOutlined,
  WifiOutlined,
} from '@ant-design/icons';

/** The icon names a request type may use (the admin picks one). */
export const REQUEST_ICONS: Record<string, ReactNode> = {
  file: <FileTextOutlined />,
  'user-add': <UserAddOutlined />,
  key: <KeyOutlined />,
  laptop: <LaptopOutlined />,
  desktop: <DesktopOutlined />,
  mobile: <MobileOutlined />,
  global: <GlobalOutlined />,
  wifi: <WifiOutlined />,
  mail: <MailOutlined />,
  database: <DatabaseOutlined />,
  cloud: <CloudOutlined />,
  lock: <LockOutlined />,
  safety: <SafetyOutlined />,
  team: <TeamOutlined />,
  printer: <PrinterOutlined />,
  tool: <ToolOutlined />,
};

export function RequestIcon({ name }: { name: string }) {
  return <>{REQUEST_ICONS[name] ?? REQUEST_ICONS.file}</>;
}
