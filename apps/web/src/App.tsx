import { lazy, type ReactNode, Suspense } from 'react';
import { Navigate, Route, Routes } from 'react-router';
import type { Role } from './api/client';
import { Layout } from './components/Layout';
import { Loading } from './components/ui';
import { HOME, useSession } from './session';
import { LoginPage, RegisterPage } from './pages/Auth';
import { LandingPage } from './pages/Landing';
import { CardPage } from './pages/resident/Card';
import { CataloguePage } from './pages/resident/Catalogue';
import { LoansPage, MyReceiptPage } from './pages/resident/Loans';
import { ActivitiesPage, ActivityPage } from './pages/resident/Activities';
import { VenuePage, VenuesPage } from './pages/resident/Venues';
import { MinePage } from './pages/resident/Mine';
import { NotificationsPage } from './pages/resident/Notifications';
import { CheckoutPage } from './pages/desk/Checkout';
import { CheckinPage } from './pages/desk/Checkin';
import { TransitsPage } from './pages/desk/Transits';
import { ImportPage } from './pages/desk/Import';
import { BookingApprovalsPage } from './pages/desk/BookingApprovals';
import { HoldShelfPage } from './pages/desk/HoldShelf';
import { InventoryPage } from './pages/desk/Inventory';
import { MobileStopsPage } from './pages/desk/MobileStops';
import { ActivityCheckinPage } from './pages/desk/ActivityCheckin';
import { OfflineConflictsPage } from './pages/desk/OfflineConflicts';
import { DeskReceiptPage, FinesPage } from './pages/desk/Fines';
import { PullListPage } from './pages/desk/PullList';
import { BulkEditPage } from './pages/desk/BulkEdit';
import { BranchesPage } from './pages/admin/Branches';
import { RegionsPage } from './pages/admin/Regions';
import { StaffPage } from './pages/admin/Staff';
import { PoliciesPage } from './pages/admin/Policies';
import { PersonalDataAccessPage } from './pages/admin/PersonalDataAccess';

// ECharts is large: only administrators opening the dashboard download it.
const DashboardPage = lazy(() => import('./pages/admin/Dashboard').then((m) => ({ default: m.DashboardPage })));
import { ServiceMenuPage } from './pages/services/Menu';
import { ServiceOrdersPage } from './pages/services/Orders';
import { DemandsPage } from './pages/services/Demands';
import { SatisfactionPage } from './pages/services/Satisfaction';


/** Pages for some roles only; the API enforces the same rule, this only keeps people out of dead ends. */
function Only({ roles, children }: { roles: Role[]; children: ReactNode }) {
  const { role, loading } = useSession();
  if (loading) return <Loading />;
  if (!role) return <Navigate to="/login" replace />;
  if (!roles.includes(role)) return <Navigate to={HOME[role]} replace />;
  return <>{children}</>;
}

/** `/`: staff land on their role's page; anonymous visitors and residents see the public landing page. */
function Home() {
  const { role, loading } = useSession();
  if (loading) return <Loading />;
  if (role && role !== 'resident') return <Navigate to={HOME[role]} replace />;
  return <LandingPage />;
}

const DESK: Role[] = ['librarian', 'admin'];

export function App() {
  return (
    <Layout>
      <Routes>
        <Route path="/" element={<Home />} />
        <Route path="/login" element={<LoginPage />} />
        <Route path="/register" element={<RegisterPage />} />
        <Route path="/catalogue" element={<CataloguePage />} />
        <Route path="/activities" element={<ActivitiesPage />} />
        <Route path="/activities/:id" element={<ActivityPage />} />
        <Route path="/venues" element={<VenuesPage />} />
        <Route path="/venues/:id" element={<VenuePage />} />
        <Route path="/card" element={<Only roles={['resident']}><CardPage /></Only>} />
        <Route path="/loans" element={<Only roles={['resident']}><LoansPage /></Only>} />
        <Route path="/loans/receipts/:number" element={<Only roles={['resident']}><MyReceiptPage /></Only>} />
        <Route path="/mine" element={<Only roles={['resident', 'organizer', 'operator']}><MinePage /></Only>} />
        <Route path="/notifications" element={<Only roles={['resident', 'librarian', 'operator', 'organizer', 'admin']}><NotificationsPage /></Only>} />
        <Route path="/desk/checkout" element={<Only roles={DESK}><CheckoutPage /></Only>} />
        <Route path="/desk/checkin" element={<Only roles={DESK}><CheckinPage /></Only>} />
        <Route path="/desk/transits" element={<Only roles={DESK}><TransitsPage /></Only>} />
        <Route path="/desk/hold-shelf" element={<Only roles={DESK}><HoldShelfPage /></Only>} />
        <Route path="/desk/inventory" element={<Only roles={DESK}><InventoryPage /></Only>} />
        <Route path="/desk/fines" element={<Only roles={DESK}><FinesPage /></Only>} />
        <Route path="/desk/fines/receipts/:number" element={<Only roles={DESK}><DeskReceiptPage /></Only>} />
        <Route path="/desk/pull-list" element={<Only roles={DESK}><PullListPage /></Only>} />
        <Route path="/desk/bulk-edit" element={<Only roles={DESK}><BulkEditPage /></Only>} />
        <Route path="/desk/mobile-stops" element={<Only roles={DESK}><MobileStopsPage /></Only>} />
        <Route path="/desk/import" element={<Only roles={DESK}><ImportPage /></Only>} />
        <Route path="/desk/bookings" element={<Only roles={DESK}><BookingApprovalsPage /></Only>} />
        <Route path="/desk/offline-conflicts" element={<Only roles={DESK}><OfflineConflictsPage /></Only>} />
        <Route path="/desk/activity-checkin" element={<Only roles={[...DESK, 'operator']}><ActivityCheckinPage /></Only>} />
        <Route path="/admin/indicators" element={<Only roles={['admin']}><Suspense fallback={<Loading />}><DashboardPage /></Suspense></Only>} />
        <Route path="/admin/branches" element={<Only roles={['admin']}><BranchesPage /></Only>} />
        <Route path="/admin/regions" element={<Only roles={['admin']}><RegionsPage /></Only>} />
        <Route path="/admin/staff" element={<Only roles={['admin']}><StaffPage /></Only>} />
        <Route path="/admin/policies" element={<Only roles={['admin']}><PoliciesPage /></Only>} />
        <Route path="/admin/personal-data-access" element={<Only roles={['admin']}><PersonalDataAccessPage /></Only>} />
        <Route path="/services" element={<ServiceMenuPage />} />
        <Route path="/service-orders" element={<Only roles={['operator', 'organizer', 'librarian', 'admin']}><ServiceOrdersPage /></Only>} />
        <Route path="/demands" element={<DemandsPage />} />
        <Route path="/satisfaction" element={<SatisfactionPage />} />
        <Route path="*" element={<Navigate to="/" replace />} />
      </Routes>
    </Layout>
  );
}
