// Vitest runs lib/ modules outside Next's server bundle; 'server-only' throws there by design.
export {};
