/**
 * Polls `condition` every `intervalMs` until it holds or `timeoutMs` passes (then throws with `what`): a wait
 * for an effect, where the interval only sets how soon it is seen.
 */
const waitFor = async (
  condition: () => boolean | Promise<boolean>,
  what: string,
  timeoutMs = 10_000,
  intervalMs = 10,
): Promise<void> => {
  const deadline = Date.now() + timeoutMs;
  while (!(await condition())) {
    if (Date.now() > deadline) throw new Error(`timed out waiting for ${what}`);
    await new Promise((resolve) => setTimeout(resolve, intervalMs));
  }
};

export { waitFor };
