import { type ReactNode } from 'react';
import { useQuery } from '@tanstack/react-query';
import { ErrorBoundary } from 'react-error-boundary';
import { useTranslation } from 'react-i18next';
import { NavLink, useLocation, useNavigate } from 'react-router';
import { call, client, languageHeader } from '../api/client';
import type { Role } from '../api/client';
import type { Notification } from '../api/schema';
import { setLanguage } from '../i18n';
import { useLiveInbox } from '../live';
import { setLargeText, useLargeText } from '../prefs';
import { useSession } from '../session';

const NAV: Record<Role | 'guest', Array<[string, string]>> = {
  guest: [
    ['/catalogue', 'nav.catalogue'],
    ['/activities', 'nav.activities'],
    ['/venues', 'nav.venues'],
    ['/services', 'nav.services'],
    ['/demands', 'nav.demands'],
  ],
  resident: [
    ['/card', 'nav.card'],
    ['/catalogue', 'nav.catalogue'],
    ['/loans', 'nav.loans'],
    ['/activities', 'nav.activities'],
    ['/venues', 'nav.venues'],
    ['/mine', 'nav.mine'],
    ['/demands', 'nav.demands'],
    ['/notifications', 'nav.notifications'],
  ],
  librarian: [
    ['/desk/checkout', 'nav.checkout'],
    ['/desk/checkin', 'nav.checkin'],
    ['/desk/transits', 'nav.transits'],
    ['/desk/hold-shelf', 'nav.holdShelf'],
    ['/desk/inventory', 'nav.inventory'],
    ['/desk/fines', 'nav.fines'],
    ['/desk/pull-list', 'pullList.nav'],
    ['/desk/bulk-edit', 'bulkEdit.nav'],
    ['/desk/mobile-stops', 'mobile.nav'],
    ['/desk/import', 'nav.import'],
    ['/desk/bookings', 'nav.bookings'],
    ['/desk/activity-checkin', 'nav.activityCheckin'],
    ['/desk/offline-conflicts', 'nav.offlineConflicts'],
    ['/catalogue', 'nav.catalogue'],
    ['/notifications', 'nav.notifications'],
  ],
  admin: [
    ['/admin/indicators', 'nav.dashboard'],
    ['/admin/branches', 'nav.branches'],
    ['/admin/regions', 'nav.regions'],
    ['/admin/staff', 'nav.staff'],
    ['/admin/policies', 'nav.policies'],
    ['/admin/personal-data-access', 'nav.personalDataAccess'],
    ['/services', 'nav.services'],
    ['/service-orders', 'nav.serviceOrders'],
    ['/satisfaction', 'nav.satisfaction'],
    ['/desk/checkout', 'nav.checkout'],
    ['/desk/checkin', 'nav.checkin'],
    ['/desk/offline-conflicts', 'nav.offlineConflicts'],
    ['/desk/fines', 'nav.fines'],
    ['/desk/mobile-stops', 'mobile.nav'],
    ['/notifications', 'nav.notifications'],
  ],
  operator: [
    ['/services', 'nav.services'],
    ['/service-orders', 'nav.serviceOrders'],
    ['/demands', 'nav.demands'],
    ['/satisfaction', 'nav.satisfaction'],
    ['/desk/activity-checkin', 'nav.activityCheckin'],
    ['/notifications', 'nav.notifications'],
  ],
  organizer: [
    ['/services', 'nav.services'],
    ['/service-orders', 'nav.serviceOrders'],
    ['/demands', 'nav.demands'],
    ['/venues', 'nav.venues'],
    ['/mine', 'nav.mine'],
    ['/notifications', 'nav.notifications'],
  ],
  kiosk: [],
  device: [],
};

export function Layout({ children }: { children: ReactNode }) {
  const { t, i18n } = useTranslation();
  const { me, role, logout } = useSession();
  const large = useLargeText();
  const navigate = useNavigate();
  const location = useLocation();
  const links = NAV[role ?? 'guest'];
  const hasInbox = links.some(([to]) => to === '/notifications');
  useLiveInbox(me !== null);
  const unread = useQuery({
    queryKey: ['notifications', 'unread'],
    enabled: hasInbox,
    queryFn: () => call<Notification[]>(client.GET('/api/me/notifications', { params: { query: { unread: true }, header: languageHeader() } })),
  });
  const unreadCount = hasInbox ? (unread.data?.length ?? 0) : 0;
  return (
    <>
      <a className="skip" href="#main">
        {t('app.skip')}
      </a>
      <header className="top">
        <div className="bar">
          <NavLink to="/" className="brand">
            {t('app.title')}
          </NavLink>
          <div className="tools">
            <button type="button" aria-pressed={large} onClick={() => setLargeText(!large)}>
              {large ? t('app.normalText') : t('app.largeText')}
            </button>
            <button
              type="button"
              lang={i18n.language === 'en' ? 'zh-CN' : 'en'}
              title={t('app.languageLabel')}
              onClick={() => setLanguage(i18n.language === 'en' ? 'zh' : 'en')}
            >
              {t('app.language')}
            </button>
            {me ? (
              <button
                type="button"
                onClick={async () => {
                  await logout();
                  navigate('/login');
                }}
              >
                {t('app.logout')}
                <span className="who">{t('app.paren', { text: me.name })}</span>
              </button>
            ) : (
              <NavLink to="/login" className="button">
                {t('app.login')}
              </NavLink>
            )}
          </div>
        </div>
        {links.length > 0 && (
          <nav aria-label={t('app.menu')}>
            <ul>
              {links.map(([to, key]) => (
                <li key={to}>
                  <NavLink to={to}>
                    {t(key)}
                    {to === '/notifications' && unreadCount > 0 && (
                      <>
                        <span className="count" aria-hidden="true">
                          {unreadCount}
                        </span>
                        <span className="visually-hidden">{t('app.paren', { text: t('notifications.unreadCount', { n: unreadCount }) })}</span>
                      </>
                    )}
                  </NavLink>
                </li>
              ))}
            </ul>
          </nav>
        )}
      </header>
      <main id="main" tabIndex={-1}>
        {/* A page that fails shows what went wrong and leaves the header usable; moving on resets it. */}
        <ErrorBoundary
          resetKeys={[location.pathname]}
          fallbackRender={({ error }) => (
            <p role="alert" className="alert error">
              {t('app.error')}
              {t('app.colon')}
              {error instanceof Error ? error.message : String(error)}
            </p>
          )}
        >
          {children}
        </ErrorBoundary>
      </main>
    </>
  );
}
