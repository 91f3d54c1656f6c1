// A module customization hook (registered by register-answer-hook.cjs): rewrites load-probe-tasks' answer.
export async function load(url, context, nextLoad) {
  const loaded = await nextLoad(url, context);
  if (!url.includes('load-probe-tasks') || loaded.source == null) return loaded;
  return { ...loaded, source: String(loaded.source).replace("'not hooked'", "'hooked'") };
}
