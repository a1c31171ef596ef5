export { Env, ConfigError, loadEnv, apiWorkerCount } from './env';
export { ConfigModule } from './config.module';
