from django.core.management.base import BaseCommand

from examples.search_words import rebuild_search_words


class Command(BaseCommand):
    help = (
        "Reconstruit la table des mots des exemples publiés qui sert à corriger les fautes de "
        "frappe de la recherche (les déclencheurs y ajoutent les mots nouveaux ; ceci retire "
        "ceux qu’aucun exemple publié n’écrit plus)."
    )

    def handle(self, *args, **options):
        count = rebuild_search_words()
        self.stdout.write(f"{count} mots dans la table de la recherche.")
