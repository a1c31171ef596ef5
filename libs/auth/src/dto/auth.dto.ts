import { ApiProperty } from '@nestjs/swagger';
import { IsString, Length } from 'class-validator';

export class LoginDto {
  @ApiProperty({ example: '13800138000', description: 'card number, phone number, or staff username' })
  @IsString()
  @Length(1, 64)
  login: string;

  @ApiProperty()
  @IsString()
  @Length(1, 128)
  password: string;
}

export class RefreshDto {
  @ApiProperty()
  @IsString()
  @Length(20, 200)
  refreshToken: string;
}

export class VerifyCardQrDto {
  @ApiProperty({ description: 'the token shown in the resident’s dynamic card QR code' })
  @IsString()
  @Length(20, 2000)
  token: string;
}

export interface TokenPair {
  accessToken: string;
  refreshToken: string;
  tokenType: 'Bearer';
  expiresIn: number;
}
