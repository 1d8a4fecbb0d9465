import { productView } from './product.view';

/** A product and its free stock, as a class for the OpenAPI document (see reservation.response.ts). */
export class ProductResponse implements ReturnType<typeof productView> {
  sku!: string;
  name!: string;
  /** Units free to reserve. */
  stock!: number;
}
