export { type RunningApp, startApp } from './app.ts';
export { loadConfig, type ServerConfig, serverEnv } from './config.ts';
