import { registerEnumType } from 'type-graphql';

export const VerificationType = { NONE: 'NONE', BASIC: 'BASIC', HMAC: 'HMAC', TOKEN: 'TOKEN', SECRET_URL: 'SECRET_URL' } as const;
registerEnumType(VerificationType, {
  name: 'VerificationType',
  description: 'How a listener checks its sender: nothing, basic auth, an HMAC of the raw body, a token, or the secret URL itself.',
});
