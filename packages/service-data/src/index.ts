export { openServiceData, type ServiceData } from './open-service-data.ts';
