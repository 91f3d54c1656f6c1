/** What a worker sees of its process: flags and environment. */
export function processInfo(): { readonly execArgv: string[]; readonly env: Record<string, string | undefined> } {
  return { execArgv: process.execArgv, env: { ...process.env } };
}
