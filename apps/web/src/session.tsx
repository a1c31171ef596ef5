import { useQuery, useQueryClient } from '@tanstack/react-query';
import { createContext, type ReactNode, useContext, useEffect, useState } from 'react';
import { call, client, currentTokens, onTokensChange, setTokens } from './api/client';
import type { Role } from './api/client';
import type { Me } from './api/schema';

interface SessionValue {
  me: Me | null;
  role: Role | null;
  loading: boolean;
  login(login: string, password: string): Promise<Me>;
  logout(): Promise<void>;
}

/** Where each role lands after logging in. */
export const HOME: Record<Role, string> = {
  resident: '/card',
  librarian: '/desk/checkout',
  admin: '/admin/indicators',
  operator: '/services',
  organizer: '/services',
  kiosk: '/catalogue',
  device: '/catalogue',
};

const SessionContext = createContext<SessionValue | null>(null);

export function roleOf(me: Me | null): Role | null {
  if (!me) return null;
  return me.kind === 'patron' ? 'resident' : me.role;
}

export function SessionProvider({ children }: { children: ReactNode }) {
  const queryClient = useQueryClient();
  const [signedIn, setSignedIn] = useState(() => currentTokens() !== null);
  useEffect(() => onTokensChange((t) => setSignedIn(t !== null)), []);
  const me = useQuery({
    queryKey: ['me', signedIn],
    enabled: signedIn,
    queryFn: () => call<Me>(client.GET('/api/me')),
    staleTime: 60_000,
  });
  const value: SessionValue = {
    me: signedIn ? (me.data ?? null) : null,
    role: signedIn ? roleOf(me.data ?? null) : null,
    loading: signedIn && me.isPending,
    async login(login, password) {
      const tokens = await call<{ accessToken: string; refreshToken: string }>(client.POST('/api/auth/login', { body: { login, password } }));
      setTokens(tokens);
      const who = await call<Me>(client.GET('/api/me'));
      queryClient.setQueryData(['me', true], who);
      return who;
    },
    async logout() {
      await client.POST('/api/auth/logout').catch(() => undefined);
      setTokens(null);
      queryClient.clear();
      // The service worker kept the last session answer for offline use: it goes with the session.
      await globalThis.caches?.delete('culture-api').catch(() => undefined);
    },
  };
  return <SessionContext.Provider value={value}>{children}</SessionContext.Provider>;
}

export function useSession(): SessionValue {
  const value = useContext(SessionContext);
  if (!value) throw new Error('useSession outside SessionProvider');
  return value;
}
