import { Controller, Get, NotFoundException, Param } from '@nestjs/common';
import { ApiNotFoundResponse } from '@nestjs/swagger';
import { ProductResponse } from './product.response';
import { productView } from './product.view';
import { ProductsService } from './products.service';

@Controller('products')
export class ProductsController {
  constructor(private readonly products: ProductsService) {}

  /** Every product with its stock, by sku. */
  @Get()
  async list(): Promise<ProductResponse[]> {
    return (await this.products.list()).map(productView);
  }

  @Get(':sku')
  @ApiNotFoundResponse({ description: 'inventory holds no such sku' })
  async get(@Param('sku') sku: string): Promise<ProductResponse> {
    const product = await this.products.find(sku);
    if (!product) throw new NotFoundException(`unknown sku "${sku}"`);
    return productView(product);
  }
}
