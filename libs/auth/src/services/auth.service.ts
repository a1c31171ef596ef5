import { Injectable } from '@nestjs/common';
import { PasswordHasher, PatronsService, PatronView, StaffService, StaffView, type StaffAccess } from '@lib/accounts';
import { AccountError } from '@lib/accounts';
import type { Principal } from '../principal';
import type { SubjectKind } from '../entities/session.entity';
import type { TokenPair } from '../dto/auth.dto';
import { AuthError } from '../auth.errors';
import { LoginThrottleService } from './login-throttle.service';
import { SessionService } from './session.service';
import { TokenService } from './token.service';

type Subject = Omit<Principal, 'sessionId'>;

@Injectable()
export class AuthService {
  constructor(
    private readonly patrons: PatronsService,
    private readonly staff: StaffService,
    private readonly hasher: PasswordHasher,
    private readonly throttle: LoginThrottleService,
    private readonly sessions: SessionService,
    private readonly tokens: TokenService,
  ) {}

  /**
   * Checks a login (card number, phone or staff username) and password. Attempts are counted per
   * account, so another spelling of the phone or the card number does not reset the count.
   */
  async verifyCredentials(login: string, password: string): Promise<Subject> {
    const account = await this.findAccount(login.trim());
    const key = this.throttle.keyFor(account ? `${account.kind}:${account.id}` : `login:${login.trim().toLowerCase()}`);
    const attempt = await this.throttle.reserveAttempt(key);
    let subject: Subject | null;
    try {
      subject = account ? await account.check(password) : await this.hasher.verifyNothing(password).then(() => null);
    } catch (e) {
      // The password was right but the account cannot be used (card lost, disabled): not a guess.
      await this.throttle.recordSuccess(key);
      throw e;
    }
    if (!subject) {
      await this.throttle.recordFailure(key, attempt);
      throw AuthError.INVALID_CREDENTIALS();
    }
    await this.throttle.recordSuccess(key);
    return subject;
  }

  async openSession(subject: Subject): Promise<TokenPair> {
    const { sessionId, refreshToken } = await this.sessions.open(subject.kind, subject.id);
    const access = this.tokens.signAccess({ ...subject, sessionId });
    return { accessToken: access.token, refreshToken, tokenType: 'Bearer', expiresIn: access.expiresIn };
  }

  /** Rotates the refresh token and re-reads the account, so role or branch changes and disabling take effect. */
  async refresh(refreshToken: string): Promise<TokenPair> {
    const { session, refreshToken: next } = await this.sessions.rotate(refreshToken);
    const subject = await this.loadSubject(session.subjectKind, session.subjectId);
    if (!subject) {
      await this.sessions.revoke(session.id, 'account_disabled');
      throw AuthError.ACCOUNT_DISABLED();
    }
    const access = this.tokens.signAccess({ ...subject, sessionId: session.id });
    return { accessToken: access.token, refreshToken: next, tokenType: 'Bearer', expiresIn: access.expiresIn };
  }

  logout(principal: Principal): Promise<void> {
    return this.sessions.revoke(principal.sessionId, 'logout');
  }

  /** After a staff account is disabled or its password reset, none of its sessions may go on. */
  endSessionsOf(kind: SubjectKind, id: string, reason: string): Promise<number> {
    return this.sessions.revokeAllOf(kind, id, reason);
  }

  isSessionRevoked(sessionId: string): Promise<boolean> {
    return this.sessions.isRevoked(sessionId);
  }

  /** Housekeeping: forget sessions that expired or ended long enough ago. */
  purgeEndedSessions(): Promise<number> {
    return this.sessions.purgeEnded();
  }

  /** Who holds this access token (a live connection's handshake): valid signature, not expired, session not ended. */
  async principalOfAccessToken(token: string): Promise<Principal> {
    const principal = this.tokens.verifyAccess(token);
    if (await this.sessions.isRevoked(principal.sessionId)) throw AuthError.TOKEN_INVALID();
    return principal;
  }

  async me(principal: Principal): Promise<({ kind: 'patron' } & PatronView) | ({ kind: 'staff' } & StaffView)> {
    if (principal.kind === 'patron') return { kind: 'patron', ...(await this.patrons.view(principal.id)) };
    return { kind: 'staff', ...(await this.staff.view(principal.id)) };
  }

  /** A fresh QR token for the patron's card in use; the code on screen changes every minute. */
  async cardQr(principal: Principal): Promise<{ token: string; expiresAt: Date; cardNumber: string }> {
    const card = await this.patrons.cardInUse(principal.id);
    if (!card) throw AccountError.CARD_NOT_FOUND({ number: '-' });
    const { token, expiresAt } = this.tokens.signCardQr(principal.id, card.number);
    return { token, expiresAt, cardNumber: card.number };
  }

  /** What staff and kiosks see after scanning: the card and its (masked) holder, if the code is fresh and the card still in use. */
  /** With `access` (a staff caller), the read of the holder's data goes into the personal-data access log. */
  async verifyCardQr(token: string, access?: StaffAccess) {
    const claims = this.tokens.verifyCardQr(token);
    const found = await this.patrons.cardByNumber(claims.card, access, 'card.verify-qr');
    if (found.card.status === 'lost') throw AccountError.CARD_LOST({ field: 'token' });
    return found;
  }

  /** The account a login name points at, with a check of its password (null: wrong password). */
  private async findAccount(
    login: string,
  ): Promise<{ kind: SubjectKind; id: string; check: (password: string) => Promise<Subject | null> } | null> {
    const patron = await this.patrons.findForLogin(login);
    if (patron) {
      return {
        kind: 'patron',
        id: patron.patron.id,
        check: async (password) => {
          if (!(await this.hasher.verify(patron.patron.passwordHash, password))) return null;
          if (patron.viaLostCard) throw AccountError.CARD_LOST({ field: 'login' });
          return { id: patron.patron.id, kind: 'patron', role: 'resident', branchIds: [], regionIds: [] };
        },
      };
    }
    const staff = await this.staff.findForLogin(login);
    if (staff) {
      return {
        kind: 'staff',
        id: staff.staff.id,
        check: async (password) => {
          if (!(await this.hasher.verify(staff.staff.passwordHash, password))) return null;
          if (!staff.staff.active) throw AuthError.ACCOUNT_DISABLED();
          return { id: staff.staff.id, kind: 'staff', role: staff.staff.role, branchIds: staff.branchIds, regionIds: staff.regionIds };
        },
      };
    }
    return null;
  }

  private async loadSubject(kind: SubjectKind, id: string): Promise<Subject | null> {
    if (kind === 'patron') {
      const card = await this.patrons.cardInUse(id);
      return card ? { id, kind, role: 'resident', branchIds: [], regionIds: [] } : null;
    }
    const found = await this.staff.findById(id);
    if (!found || !found.staff.active) return null;
    return { id, kind, role: found.staff.role, branchIds: found.branchIds, regionIds: found.regionIds };
  }
}
