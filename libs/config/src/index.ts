export { Env, ConfigError, loadEnv } from './env';
export { ConfigModule } from './config.module';
