output "alarm_topic_arn" {
  description = "Topic the alarms notify, or null when they notify nobody."
  value       = try(local.alarm_actions[0], null)
}

output "alarm_names" {
  description = "Every alarm created."
  value = concat(
    [for alarm in aws_cloudwatch_metric_alarm.dead_letter : alarm.alarm_name],
    [for alarm in aws_cloudwatch_metric_alarm.function_errors : alarm.alarm_name],
    [for alarm in aws_cloudwatch_metric_alarm.function_throttles : alarm.alarm_name],
    [for alarm in aws_cloudwatch_metric_alarm.api_5xx : alarm.alarm_name],
    [for alarm in aws_cloudwatch_metric_alarm.queue_age : alarm.alarm_name],
    [for alarm in aws_cloudwatch_metric_alarm.function_duration : alarm.alarm_name],
    [for alarm in aws_cloudwatch_metric_alarm.table_throttles : alarm.alarm_name],
    [for alarm in aws_cloudwatch_metric_alarm.webhook_signature_failures : alarm.alarm_name],
    [for alarm in aws_cloudwatch_metric_alarm.api_5xx_rate : alarm.alarm_name],
  )
}
