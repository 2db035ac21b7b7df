/** What the verifier asks about a token's session; RevokedSessions is the real one. */
export interface RevocationList {
  /** Synchronous on purpose: answered from memory, never a query per request. */
  isRevoked(sessionId: string): boolean;
}

/** For verifiers that do not check revocation (tests of the token rules alone). */
export const NO_REVOCATIONS: RevocationList = { isRevoked: () => false };
