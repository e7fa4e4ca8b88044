from django.db.models.signals import post_save
from django.dispatch import receiver

from portal.pages.models import ReservedAreaPage


@receiver(post_save, sender=ReservedAreaPage)
def _area_gets_a_board(sender, instance, created, raw=False, **kwargs):
    """Every reserved area has its forum board from the start (like its chat room)."""
    if created and not raw:
        from .services import board_for_area

        board_for_area(instance)
