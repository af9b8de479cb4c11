/** What a verified access token says about its bearer; set on the request by JwtAuthGuard. */
export interface AuthUser {
  userId: string;
  roles: string[];
  /** Expiry of the token, in seconds since the epoch. */
  exp: number;
}

/** The claims of an access token, as signed by identity and checked by every verifier. */
export interface AccessTokenClaims {
  sub: string;
  roles: string[];
  iss: string;
  aud: string;
  iat: number;
  nbf: number;
  exp: number;
}
