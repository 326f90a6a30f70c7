import { z } from 'zod';

/** The "wecomWebhook" config section; WECOM_WEBHOOK_URL wins over the file. */
export const wecomWebhookSection = z.strictObject({
  /** the group robot's webhook address, https://qyapi.weixin.qq.com/cgi-bin/webhook/send?key=… */
  url: z.string().min(1),
});

/** The environment variable that overrides the section's field (the environment wins). */
export const wecomWebhookEnv = { WECOM_WEBHOOK_URL: 'url' } as const;
