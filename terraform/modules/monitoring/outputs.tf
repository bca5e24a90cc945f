output "alarm_topic_arn" {
  description = "Topic the alarms notify, or null when they notify nobody."
  value       = try(local.alarm_actions[0], null)
}

output "alarm_names" {
  description = "Every alarm created."
  value = concat(
    [for alarm in aws_cloudwatch_metric_alarm.metric : alarm.alarm_name],
    [for alarm in aws_cloudwatch_metric_alarm.table_throttles : alarm.alarm_name],
    [for alarm in aws_cloudwatch_metric_alarm.api_5xx_rate : alarm.alarm_name],
  )
}
