export * from './columns';
export * from './daily-counts';
export * from './explanation';
export * from './figure-catalogue';
export * from './figure-source';
export * from './known-facts';
export * from './period';
export * from './projection';
