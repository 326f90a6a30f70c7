import { z } from 'zod';

/**
 * The "dingtalk" config section; DINGTALK_CLIENT_ID and DINGTALK_CLIENT_SECRET win over the file.
 * The credentials may be missing here: choosing the channel without them is one sentence at start-up.
 */
export const dingtalkSection = z.strictObject({
  /** the app's Client ID (formerly AppKey) */
  clientId: z.string().min(1).optional(),
  /** the app's Client Secret (formerly AppSecret) */
  clientSecret: z.string().min(1).optional(),
  /** the robot's code for proactive sends; absent: the Client ID */
  robotCode: z.string().min(1).optional(),
  /** DingTalk's OpenAPI: the stream gateway, the access token and the robot's sends */
  apiBase: z.string().min(1).default('https://api.dingtalk.com'),
});
export type DingTalkSection = z.infer<typeof dingtalkSection>;

/** The environment variables that override the section's fields (the environment wins). */
export const dingtalkEnv = { DINGTALK_CLIENT_ID: 'clientId', DINGTALK_CLIENT_SECRET: 'clientSecret' } as const;
