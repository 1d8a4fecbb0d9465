/** A product and its free stock (a class, for the OpenAPI document). */
export class ProductResponse {
  sku!: string;
  name!: string;
  /** Units free to reserve. */
  stock!: number;
}
