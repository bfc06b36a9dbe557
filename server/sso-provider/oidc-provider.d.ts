// The part of oidc-provider (v9, which ships no types) that the demo identity provider uses.
declare module 'oidc-provider' {
  import type { IncomingMessage, ServerResponse } from 'node:http';

  export interface OidcSession {
    accountId?: string;
    grantIdFor(clientId: string): string | undefined;
  }

  export interface OidcContext {
    provider: Provider;
    client?: { clientId: string };
    session?: OidcSession;
    result?: { login?: unknown; consent?: { grantId?: string } };
    /** The requested scopes the provider knows. */
    requestParamOIDCScopes: Set<string>;
  }

  export interface KoaContextWithOIDC {
    oidc: OidcContext;
    type: string;
    status: number;
    body: unknown;
  }

  export interface Account {
    accountId: string;
    claims(use: string, scope: string): Promise<Record<string, unknown>>;
  }

  export interface InteractionDetails {
    uid: string;
    prompt: { name: string; reasons: string[] };
    params: Record<string, unknown>;
    exp: number;
  }

  export type InteractionResults =
    | { login: { accountId: string } }
    | { error: string; error_description?: string };

  export class Grant {
    constructor(init: { accountId?: string; clientId?: string });
    readonly accountId: string;
    addOIDCScope(scope: string): void;
    save(): Promise<string>;
    static find(id: string): Promise<Grant | undefined>;
  }

  export interface ErrorOut {
    error: string;
    error_description?: string;
  }

  export interface ClientMetadata {
    client_id: string;
    client_secret: string;
    redirect_uris: string[];
    grant_types?: string[];
    response_types?: string[];
    token_endpoint_auth_method?: string;
  }

  export interface Configuration {
    clients: ClientMetadata[];
    claims: Record<string, string[] | null>;
    findAccount(ctx: KoaContextWithOIDC, id: string): Promise<Account | undefined>;
    loadExistingGrant(ctx: KoaContextWithOIDC): Promise<Grant | undefined>;
    interactions: { url(ctx: KoaContextWithOIDC, interaction: { uid: string }): string; policy?: Prompt[] };
    renderError(ctx: KoaContextWithOIDC, out: ErrorOut, error: Error): Promise<void>;
    clientBasedCORS(ctx: KoaContextWithOIDC, origin: string, client: unknown): boolean;
    features: Record<string, { enabled: boolean }>;
    pkce: { required(ctx: KoaContextWithOIDC, client: unknown): boolean };
    ttl: Record<string, number>;
    cookies: { keys: string[] };
    jwks: { keys: object[] };
    adapter: unknown;
    clockTolerance?: number;
  }

  export class Check {
    constructor(reason: string, description: string, check: (ctx: KoaContextWithOIDC) => boolean | Promise<boolean>);
  }

  export interface Prompt {
    name: string;
    checks: Check[] & { add(check: Check): void };
  }

  export const interactionPolicy: {
    Check: typeof Check;
    base(): Prompt[] & { get(name: string): Prompt | undefined };
  };

  export class Provider {
    constructor(issuer: string, configuration: Configuration);
    readonly issuer: string;
    readonly Grant: typeof Grant;
    callback(): (req: IncomingMessage, res: ServerResponse) => Promise<void>;
    interactionDetails(req: IncomingMessage, res: ServerResponse): Promise<InteractionDetails>;
    interactionFinished(req: IncomingMessage, res: ServerResponse, result: InteractionResults, options?: { mergeWithLastSubmission?: boolean }): Promise<void>;
  }

  export const errors: { SessionNotFound: new (...args: never[]) => Error };
}

declare module 'oidc-provider/lib/adapters/memory_adapter.js' {
  /** The in-memory storage (the default adapter is the same, with a warning about it). */
  const MemoryAdapter: new (model: string) => object;
  export default MemoryAdapter;
}
