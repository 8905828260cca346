/** A problem with the options of `eddy dev` (not with the template), said in the user's terms. */
class DevOptionsError extends Error {
  override readonly name = 'DevOptionsError';
}

export { DevOptionsError };
