import { z } from 'zod';

/** A qualified name with an optional DNS-subdomain prefix, as Kubernetes requires of label keys. */
const LABEL_KEY =
  /^([a-z0-9]([-a-z0-9]*[a-z0-9])?(\.[a-z0-9]([-a-z0-9]*[a-z0-9])?)*\/)?[A-Za-z0-9]([-A-Za-z0-9_.]*[A-Za-z0-9])?$/;
const LABEL_VALUE = /^(([A-Za-z0-9][-A-Za-z0-9_.]*)?[A-Za-z0-9])?$/;

/** 253-character prefix + "/" + 63-character name. */
export const LABEL_KEY_MAX_LENGTH = 317;
export const LABEL_VALUE_MAX_LENGTH = 63;

export const LabelKeySchema = z
  .string()
  .min(1)
  .max(LABEL_KEY_MAX_LENGTH)
  .regex(LABEL_KEY, 'must be a qualified name, optionally prefixed by a DNS subdomain and "/"');

export const LabelValueSchema = z
  .string()
  .max(LABEL_VALUE_MAX_LENGTH)
  .regex(LABEL_VALUE, 'must be empty or alphanumeric, with "-", "_" or "." inside');
