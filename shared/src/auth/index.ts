// Authentication and authorization of HTTP requests. principal.ts is plain TypeScript (domain code
// may import its types); authenticate.ts and verify.ts are Lambda plumbing (jose, the event).
export * from './principal';
export * from './authenticate';
export * from './verify';
