// What the bot says when something went wrong on its side, or someone writes too fast.

export const reliabilityText = {
  /** stored, but handling failed: it is handled again later */
  receivedLater: '已收到，稍后处理。',
  /** not even stored (disk full, ledger locked): nothing was recorded */
  notStored: '暂时无法记录这条消息，请稍后重发。',
  tooFast: '发送太频繁，请一分钟后再试。',
  gaveUp: (where: string, preview: string) => `有一条消息多次发送失败，已停止重试（发往 ${where}）：${preview}`,
};
