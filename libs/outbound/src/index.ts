export { parseIp, formatIp, embeddedIpv4, type IpAddress } from './ip-address.js';
export { parseCidr, cidrContains, CidrError, type Cidr } from './cidr.js';
export type { AddressClass } from './address-classes.js';
export { outboundPolicy, decideAddress, classifyAddress, type OutboundPolicy, type PolicyInput, type AddressDecision, type BlockReason } from './address-policy.js';
export { OutboundError, type OutboundErrorCode } from './outbound-error.js';
export { parseTarget, pinAddress, systemResolver, type OutboundTarget, type PinnedAddress, type Resolver } from './outbound-target.js';
export { fetchOutbound, DEFAULT_TIMEOUT_MS, DEFAULT_MAX_BYTES, type OutboundFetchOptions, type OutboundResponse } from './outbound-fetch.js';
export { sniffImage, IMAGE_MIME, type ImageKind } from './image-sniff.js';
export { fetchImage, type FetchedImage } from './fetch-image.js';
