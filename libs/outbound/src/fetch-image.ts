// A snapshot fetch: an outbound GET whose body must really be an image.
import { fetchOutbound, type OutboundFetchOptions } from './outbound-fetch.js';
import { OutboundError } from './outbound-error.js';
import { IMAGE_MIME, sniffImage, type ImageKind } from './image-sniff.js';

export type FetchedImage = { readonly kind: ImageKind; readonly mime: string; readonly bytes: Buffer };

export async function fetchImage(url: string, options: OutboundFetchOptions): Promise<FetchedImage> {
  const response = await fetchOutbound(url, options);
  const kind = sniffImage(response.body);
  if (kind === undefined) throw new OutboundError('not-an-image');
  return { kind, mime: IMAGE_MIME[kind], bytes: response.body };
}
