// One rule for every COURTSIDE_* environment variable: set to the empty string is the same as not
// set (the config file's value, else the default, applies). `VAR=` in a shell, a .env file or a
// container spec is usually a placeholder, and must not silently override (e.g. switch off) what
// courtside.config.json says.

/** The variable's value, or undefined when it is unset or empty. */
export function envSetting(env: NodeJS.ProcessEnv, name: string): string | undefined {
  const v = env[name];
  return v === undefined || v === '' ? undefined : v;
}
