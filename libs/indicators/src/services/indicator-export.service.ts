import { Injectable } from '@nestjs/common';
import { Workbook } from 'exceljs';
import { Locale } from '@lib/errors';
import { IndicatorReportQuery } from '../dto/indicator.dto';
import { neutraliseFormulas } from '../rules/spreadsheet';
import { IndicatorReport, IndicatorsService } from './indicators.service';

const HEADERS: Record<Locale, string[]> = {
  'zh-CN': ['编码', '指标', '单位', '方式', '数值', '目标', '目标上限', '现状（基线）', '状态', '差距', '来源'],
  en: ['Code', 'Indicator', 'Unit', 'Method', 'Value', 'Target', 'Target max', 'Baseline', 'Status', 'Gap', 'Source'],
};
const STATUS: Record<Locale, Record<string, string>> = {
  'zh-CN': { meets: '达标', does_not_meet: '未达标', no_data: '无数据' },
  en: { meets: 'meets', does_not_meet: 'does not meet', no_data: 'no data' },
};

/** The indicator report as a spreadsheet (exceljs): CSV with a BOM so Excel reads the Chinese, or an xlsx workbook. */
@Injectable()
export class IndicatorExportService {
  constructor(private readonly indicators: IndicatorsService) {}

  async export(query: IndicatorReportQuery, format: 'csv' | 'xlsx', locale: Locale): Promise<{ body: Buffer; contentType: string; filename: string }> {
    const report = await this.indicators.report(query, locale);
    // Names and source notes are entered by hand: whatever looks like a formula is shown as text, in both formats.
    const workbook = neutraliseFormulas(this.workbook(report, locale));
    const filename = `indicators-${report.plan.code}-${report.year}.${format}`;
    if (format === 'csv') {
      const csv = Buffer.from(await workbook.csv.writeBuffer({ sheetName: 'indicators' }));
      return { body: Buffer.concat([Buffer.from('\uFEFF', 'utf8'), csv]), contentType: 'text/csv; charset=utf-8', filename };
    }
    return {
      body: Buffer.from(await workbook.xlsx.writeBuffer()),
      contentType: 'application/vnd.openxmlformats-officedocument.spreadsheetml.sheet',
      filename,
    };
  }

  private workbook(report: IndicatorReport, locale: Locale): Workbook {
    const workbook = new Workbook();
    workbook.creator = 'culture-platform';
    const sheet = workbook.addWorksheet('indicators');
    sheet.addRow(HEADERS[locale]).font = { bold: true };
    for (const i of report.indicators) {
      sheet.addRow([i.code, i.name, i.unit, i.method, i.value, i.target, i.targetMax, i.baseline, STATUS[locale][i.status], i.gap, i.source]);
    }
    sheet.columns.forEach((c, n) => (c.width = [30, 36, 16, 8, 12, 10, 10, 12, 10, 10, 30][n]));
    const summary = workbook.addWorksheet('summary');
    const zh = locale === 'zh-CN';
    summary.addRows([
      [zh ? '方案' : 'Plan', report.plan.name],
      [zh ? '年度' : 'Year', report.year],
      [zh ? '地区' : 'Region', report.region.name],
      [zh ? '达标指标' : 'Indicators meeting target', `${report.meeting} / ${report.total}`],
      [zh ? '达标率 (%)' : 'Compliance rate (%)', report.complianceRate],
    ]);
    const trend = workbook.addWorksheet('trend');
    const years = report.indicators[0]?.trend.map((t) => t.year) ?? [];
    trend.addRow([zh ? '编码' : 'Code', ...years]).font = { bold: true };
    for (const i of report.indicators) trend.addRow([i.code, ...i.trend.map((t) => t.value)]);
    return workbook;
  }
}
