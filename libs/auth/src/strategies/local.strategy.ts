import { Injectable } from '@nestjs/common';
import { PassportStrategy } from '@nestjs/passport';
import { Strategy } from 'passport-local';
import { AuthService } from '../services/auth.service';

/** passport-local over `{login, password}`; the subject it returns becomes `req.user`. */
@Injectable()
export class LocalStrategy extends PassportStrategy(Strategy, 'local') {
  constructor(private readonly auth: AuthService) {
    super({ usernameField: 'login', passwordField: 'password' });
  }

  validate(login: string, password: string) {
    return this.auth.verifyCredentials(login, password);
  }
}
